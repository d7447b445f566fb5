import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * After a refused submit or save, focus goes where the problem is: the first field marked
 * aria-invalid (its message is tied to it by aria-describedby), or, when no field is named,
 * the form's error message. A radio group is entered at its checked radio, as Tab would.
 */
export function focusFirstInvalid(root: HTMLElement | null): boolean {
  if (!root) return false;
  let target = root.querySelector<HTMLElement>('input[aria-invalid="true"], textarea[aria-invalid="true"], select[aria-invalid="true"]');
  if (target instanceof HTMLInputElement && target.type === 'radio' && target.name) {
    const checked = root.querySelector<HTMLInputElement>(`input[type="radio"][name="${CSS.escape(target.name)}"]:checked`);
    if (checked) target = checked;
  }
  target ??= root.querySelector<HTMLElement>('[role="alert"]');
  if (!target) return false;
  if (target.getAttribute('role') === 'alert' && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus();
  return true;
}

/** A ref for the form and a `request()` to call when it was refused; focusing waits for the errors to render. */
export function useFocusFirstInvalid<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [requested, setRequested] = useState(0);
  useEffect(() => {
    if (requested) focusFirstInvalid(ref.current);
  }, [requested]);
  const request = useCallback(() => setRequested((n) => n + 1), []);
  return { ref, request };
}
