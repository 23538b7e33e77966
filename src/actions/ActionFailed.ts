/** An action that ran and reports failure (checks red, a merge refused) with outputs to route on. */
export class ActionFailed extends Error {
  constructor(
    message: string,
    readonly outputs: Record<string, string> = {},
    /** false: permanent (the retry policy does not run the step again); absent: the policy decides */
    readonly retryable?: boolean,
  ) {
    super(message);
    this.name = 'ActionFailed';
  }
}
