/**
 * The public site's one stylesheet (carried in each page with the answer's CSP nonce; no
 * scripts, no external resources). Colours meet 4.5:1 on their backgrounds (JIS X 8341-3 AA);
 * every rating has its symbol and its words, never a colour alone.
 */
export const SITE_STYLE = `
  * { box-sizing: border-box; }
  html { font-size: 100%; }
  body { margin: 0; color: #1a1a1a; background: #fff; line-height: 1.7;
         font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif; }
  a { color: #0b4f9c; }
  a:visited { color: #5a2d82; }
  main:focus { outline: none; }
  a:focus-visible, summary:focus-visible { outline: 3px solid #b35c00; outline-offset: 2px; }
  .vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  .skip { position: absolute; left: -9999px; top: 0; background: #fff; color: #0b4f9c; padding: 0.5rem 1rem; }
  .skip:focus { left: 0.5rem; top: 0.5rem; z-index: 10; }
  header.site { background: #0b3a66; color: #fff; padding: 0.75rem 1.5rem; }
  header.site a { color: #fff; }
  header.site .name { font-size: 1.25rem; font-weight: bold; text-decoration: none; }
  header.site .logo { height: 2.25rem; width: auto; max-width: 8rem; vertical-align: middle; margin-right: 0.6rem; background: #fff; border-radius: 4px; padding: 2px; }
  header.site nav ul { list-style: none; margin: 0.25rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 1.25rem; }
  nav.crumbs { padding: 0.5rem 1.5rem 0; font-size: 0.9rem; }
  nav.crumbs ol { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem; }
  nav.crumbs li + li::before { content: "›"; margin-right: 0.5rem; color: #595959; }
  main { padding: 0.5rem 1.5rem 2rem; max-width: 96rem; }
  h1 { font-size: 1.6rem; margin: 0.75rem 0; }
  h2 { font-size: 1.3rem; margin: 1.75rem 0 0.5rem; border-left: 6px solid #0b3a66; padding-left: 0.5rem; }
  h3 { font-size: 1.1rem; margin: 1.25rem 0 0.5rem; }
  .meta { color: #3d3d3d; margin: 0 0 0.75rem; }
  .lead { font-size: 1.1rem; font-weight: bold; }
  .note { color: #3d3d3d; font-size: 0.9rem; }
  .scroll { overflow-x: auto; max-width: 100%; }
  table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
  caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
  th, td { border: 1px solid #767676; padding: 0.3rem 0.5rem; vertical-align: top; text-align: left; }
  thead th, th.col { background: #e8eef5; }
  th[scope="row"] { background: #f7f7f7; font-weight: normal; }
  th.chapter { background: #d7e3f0; font-size: 1.05rem; }
  td.parent { background: #f0f0f0; font-weight: bold; }
  td.num, th.num { text-align: right; white-space: nowrap; }
  td.sec { min-width: 7rem; }
  table.list th[scope="row"], table.matrix th[scope="row"] { min-width: 9rem; }
  td.content { min-width: 16rem; max-width: 32rem; font-size: 0.9rem; }
  td.cell { text-align: center; white-space: nowrap; min-width: 4.5rem; }
  .sym { font-size: 1.15rem; font-weight: bold; }
  .lbl { display: block; font-size: 0.75rem; color: #3d3d3d; }
  .missing { color: #595959; font-size: 0.85rem; }
  dl.fields { margin: 0; }
  dl.fields dt { font-weight: bold; font-size: 0.85rem; color: #3d3d3d; }
  dl.fields dd { margin: 0 0 0.5rem; white-space: pre-wrap; }
  ul.plain { padding-left: 1.25rem; }
  .chart { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
  .chart svg { max-width: 100%; height: auto; border: 1px solid #ccc; }
  .legend { font-size: 0.85rem; }
  footer.site { border-top: 1px solid #767676; padding: 1rem 1.5rem; font-size: 0.9rem; color: #3d3d3d; }
  @media print { header.site nav, nav.crumbs, .skip { display: none; } }
`;
