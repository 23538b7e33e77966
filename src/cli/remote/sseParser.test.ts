import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sseParser.ts';

function parse(chunks: string[]): { events: SseEvent[]; comments: string[]; parser: SseParser } {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const parser = new SseParser(
    (e) => events.push(e),
    (c) => comments.push(c),
  );
  for (const c of chunks) parser.push(c);
  return { events, comments, parser };
}

describe('SseParser', () => {
  it('parses the frames Baton sends: retry, comments, id/event/data, heartbeats', () => {
    const stream =
      'retry: 3000\n: connected\n\n' +
      'id: 7\nevent: step.started\ndata: {"id":7}\n\n' +
      ': heartbeat\n\n' +
      'id: 8\nevent: run.succeeded\ndata: {"id":8}\n\n';
    const { events, comments, parser } = parse([stream]);
    expect(events).toEqual([
      { id: '7', event: 'step.started', data: '{"id":7}' },
      { id: '8', event: 'run.succeeded', data: '{"id":8}' },
    ]);
    expect(comments).toEqual(['connected', 'heartbeat']);
    expect(parser.retry).toBe(3000);
    expect(parser.lastEventId).toBe('8');
  });

  it('gives the same events however the text is cut, with LF, CRLF or CR line ends', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = ['id: 1', 'event: a', 'data: x', '', 'data: first', 'data:second', '', ''].join(eol);
      const whole = parse([text]).events;
      expect(whole).toEqual([
        { id: '1', event: 'a', data: 'x' },
        { id: '1', event: 'message', data: 'first\nsecond' },
      ]);
      for (let cut = 1; cut < text.length; cut++) {
        expect(parse([text.slice(0, cut), text.slice(cut)]).events).toEqual(whole);
      }
      expect(parse([...text]).events).toEqual(whole); // one character at a time
    }
  });

  it('keeps the last id for events without one, ignores empty events and unknown fields, drops an unfinished event', () => {
    const { events, parser } = parse([
      '\uFEFFid: 5\n\n', // an id alone: no event, but the id is remembered
      'foo: bar\ndata\n\n', // `data` without a colon: an empty data line
      'event: dropped\nid: 9\ndata: {"last_event_id":9}\n\n',
      'id: 10\ndata: never finished',
    ]);
    expect(events).toEqual([
      { id: '5', event: 'message', data: '' },
      { id: '9', event: 'dropped', data: '{"last_event_id":9}' },
    ]);
    expect(parser.lastEventId).toBe('10');
  });
});
