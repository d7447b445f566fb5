/** The page a refused single sign-on shows: the Japanese reason and the way back. */
export function ssoErrorPage(message: string, loginUrl: string): string {
  return `<!doctype html>
<html lang="ja">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>シングルサインオン - 評価サイクル</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.7">
<h1 style="font-size: 1.3rem">シングルサインオンでログインできませんでした</h1>
<p role="alert">${escapeHtml(message)}</p>
<p><a href="${escapeHtml(loginUrl)}">ログイン画面へ戻る</a></p>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
