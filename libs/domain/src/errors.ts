/**
 * A domain rule was broken (bad period key, unknown scale option, ...).
 * Pure domain code throws these; the application layer maps them to DomainError (4xx).
 */
export class DomainRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An action that the transition table does not allow from the current state. */
export class TransitionError extends DomainRuleError {
  constructor(
    readonly from: string,
    readonly action: string,
    message = `状態「${from}」では操作「${action}」を実行できません`,
  ) {
    super(message);
  }
}
