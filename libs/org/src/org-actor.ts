import type { Actor } from '@app/domain';

/**
 * Who makes a change through the *In operations: a signed-in user, or nobody (id null) when the
 * worker applies a 機構改革 on its 施行日, audited as by nobody like a 人事異動 applied on its date.
 */
export type OrgActor = Pick<Actor, 'id'> | { id: null };
