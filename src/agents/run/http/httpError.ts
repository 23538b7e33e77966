/** A non-2xx answer from an agent API, with what is needed to classify it. */
export class HttpError extends Error {
  constructor(
    readonly api: string,
    readonly status: number,
    readonly headers: Headers,
    readonly body: string,
    what: string,
  ) {
    super(`${api} ${what} answered HTTP ${status}${body === '' ? '' : `: ${body.slice(0, 500)}`}`);
    this.name = 'HttpError';
  }
}
