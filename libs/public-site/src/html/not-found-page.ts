/** The body of a public 404: what happened and where to go, in Japanese. */
export function notFoundBody(): string {
  return `<p>お探しのページは見つかりませんでした。公表されていない期間や項目、またはアドレスの誤りの可能性があります。</p>
<p><a href="/public">トップページ(公表済みの計画の一覧)</a>からお探しください。</p>`;
}
