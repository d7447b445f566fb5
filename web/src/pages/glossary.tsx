import { GLOSSARY } from '../../../libs/domain/src/glossary/glossary';
import { PageHeader } from '../components/common';

/** 用語集: the domain's one glossary (libs/domain/src/glossary), the words every screen, mail and export uses. */
export function GlossaryPage() {
  return (
    <>
      <PageHeader title="用語集" />
      <p>この画面、メール、出力ファイルで使う用語です。同じものを別の言葉で呼ばないよう、言い換えない語を併せて示します。</p>
      <section className="card" aria-labelledby="glossary-terms">
        <h2 id="glossary-terms" className="visually-hidden">
          用語の一覧
        </h2>
        <dl className="glossary">
          {GLOSSARY.map((t) => (
            <div key={t.term} className="glossary-term">
              <dt>
                <span className="glossary-word" lang="ja">
                  {t.term}
                </span>
                <span className="glossary-reading">({t.reading})</span>
              </dt>
              <dd>
                <p>{t.definition}</p>
                {t.rejected.length ? (
                  <p className="small">
                    使わない言い方:{' '}
                    {t.rejected.map((r, i) => (
                      <span key={r.word}>
                        {i ? '、' : ''}「{r.word}」{r.allowedIn ? `(${r.allowedIn}は別)` : ''}
                      </span>
                    ))}
                  </p>
                ) : null}
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </>
  );
}
