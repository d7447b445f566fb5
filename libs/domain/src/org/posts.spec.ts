import { postOf, postOfTitle, rolesForPost } from './posts';

describe('posts (職)', () => {
  it('reads the titles of a personnel file', () => {
    expect(postOfTitle('課長')).toBe('section_chief');
    expect(postOfTitle(' 部長 ')).toBe('department_head');
    expect(postOfTitle('係長')).toBe('staff');
    expect(postOfTitle('参事')).toBe('counsellor');
    expect(postOfTitle('社長')).toBeNull();
  });

  it("replaces the post's roles and keeps planning and admin", () => {
    expect(rolesForPost(['chief', 'planning'], 'staff')).toEqual(['planning', 'staff']);
    expect(rolesForPost(['staff'], 'section_chief')).toEqual(['chief']);
    expect(rolesForPost(['admin', 'evaluator'], 'department_head')).toEqual(['admin', 'evaluator']);
  });

  it('names the post a person holds', () => {
    expect(postOf({ roles: ['evaluator'], sectionId: null }, true)).toBe('department_head');
    expect(postOf({ roles: ['chief'], sectionId: 1 }, false)).toBe('section_chief');
    expect(postOf({ roles: ['evaluator'], sectionId: 1 }, false)).toBe('counsellor');
    expect(postOf({ roles: ['staff', 'planning'], sectionId: 1 }, false)).toBe('staff');
  });
});
