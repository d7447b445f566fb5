import { Feed } from 'feed';
import type { FeedEvent } from '../domain/feed-events';

/** An Atom 1.0 document of feed events (newest first); ids are tag URIs that never change. */
export function atomFeed(o: {
  id: string;
  title: string;
  link: string;
  self: string;
  site: { municipalityName: string; licenseName: string; publicUrl: string };
  events: FeedEvent[];
  entryLink: (e: FeedEvent) => string;
}): string {
  const updated = o.events[0]?.publishedAt ?? new Date(0);
  const feed = new Feed({
    id: o.id,
    title: o.title,
    link: o.link,
    language: 'ja',
    updated,
    generator: '評価サイクル',
    copyright: `${o.site.municipalityName} (${o.site.licenseName})`,
    feedLinks: { atom: o.self },
    author: { name: o.site.municipalityName, link: `${o.site.publicUrl}/public` },
  });
  for (const e of o.events) {
    feed.addItem({
      id: `${o.id}:${e.key}`,
      title: e.title,
      link: o.entryLink(e),
      date: e.publishedAt,
      published: e.publishedAt,
      description: e.summary,
    });
  }
  return feed.atom1();
}
