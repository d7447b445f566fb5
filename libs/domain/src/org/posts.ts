import type { Role } from './roles';

/**
 * 職 (post): what a person is in the organisation, as a personnel order (人事異動の発令) names it.
 * A post decides the roles the approval routes read (課長 = chief of the section, 部長 = head of
 * the department and its default evaluator); planning and admin are system rights granted on
 * 利用者, which a transfer leaves as they are.
 */
export type Post = 'department_head' | 'counsellor' | 'section_chief' | 'staff';

export const POSTS: readonly Post[] = ['department_head', 'counsellor', 'section_chief', 'staff'];

export const POST_LABELS: Record<Post, string> = {
  department_head: '部長',
  counsellor: '参事',
  section_chief: '課長',
  staff: '担当',
};

/** The titles personnel files use, read as the post they hold in the routes. */
export const POST_TITLES: Record<string, Post> = {
  部長: 'department_head',
  局長: 'department_head',
  参事: 'counsellor',
  担当部長: 'counsellor',
  課長: 'section_chief',
  室長: 'section_chief',
  所長: 'section_chief',
  館長: 'section_chief',
  課長補佐: 'staff',
  係長: 'staff',
  主幹: 'staff',
  主査: 'staff',
  主任: 'staff',
  主事: 'staff',
  技師: 'staff',
  担当: 'staff',
  職員: 'staff',
};

/** The roles a post carries; the rest of a person's roles are not the post's. */
export const POST_ROLES: Record<Post, readonly Role[]> = {
  department_head: ['evaluator'],
  counsellor: ['evaluator'],
  section_chief: ['chief'],
  staff: ['staff'],
};

const ROLES_OF_POSTS: readonly Role[] = ['staff', 'chief', 'evaluator'];

export function postOfTitle(title: string): Post | null {
  const t = title.normalize('NFKC').replace(/\s+/g, '');
  return POST_TITLES[t] ?? null;
}

/** A person's roles after taking `post`: the post's roles, and their planning/admin rights kept. */
export function rolesForPost(current: readonly Role[], post: Post): Role[] {
  return [...new Set([...current.filter((r) => !ROLES_OF_POSTS.includes(r)), ...POST_ROLES[post]])];
}

/** The post a person holds now, read from their roles and whether they head a department. */
export function postOf(user: { roles: readonly Role[]; sectionId: number | null }, headsDepartment: boolean): Post {
  if (headsDepartment) return 'department_head';
  if (user.roles.includes('chief')) return 'section_chief';
  if (user.roles.includes('evaluator')) return 'counsellor';
  return 'staff';
}
