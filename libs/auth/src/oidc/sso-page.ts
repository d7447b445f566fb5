/** The page a refused single sign-on shows: the Japanese reason and the way back (its stylesheet carries the answer's CSP nonce). */
export function ssoErrorPage(message: string, loginUrl: string, styleNonce?: string): string {
  return `<!doctype html>
<html lang="ja">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>シングルサインオン - 評価サイクル</title>
<style${styleNonce ? ` nonce="${escapeHtml(styleNonce)}"` : ''}>body { font-family: sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.7; } h1 { font-size: 1.3rem; }</style></head>
<body>
<h1>シングルサインオンでログインできませんでした</h1>
<p role="alert">${escapeHtml(message)}</p>
<p><a href="${escapeHtml(loginUrl)}">ログイン画面へ戻る</a></p>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
