/** The Cursor cloud agents API v0 wire shapes Baton reads (unknown fields are ignored). */
export type CursorAgentStatus = 'CREATING' | 'RUNNING' | 'FINISHED' | 'ERROR' | 'EXPIRED';

export interface CursorAgent {
  id: string;
  name?: string;
  status: CursorAgentStatus;
  source?: { repository: string; ref?: string };
  target?: { branchName?: string; url?: string; prUrl?: string; autoCreatePr?: boolean };
  summary?: string;
  createdAt?: string;
}

export interface CursorMessage {
  id: string;
  type: 'user_message' | 'assistant_message';
  text: string;
}

export interface CursorConversation {
  id: string;
  messages: CursorMessage[];
}

/** The body of the `statusChange` webhook. */
export interface CursorWebhookPayload {
  event: 'statusChange';
  timestamp: string;
  id: string;
  status: CursorAgentStatus;
  source?: CursorAgent['source'];
  target?: CursorAgent['target'];
  summary?: string;
}

export const CURSOR_TERMINAL: readonly CursorAgentStatus[] = ['FINISHED', 'ERROR', 'EXPIRED'];
