/** The Jules REST API v1alpha wire shapes Baton reads (unknown fields are ignored). */
export type JulesSessionState =
  | 'STATE_UNSPECIFIED'
  | 'QUEUED'
  | 'PLANNING'
  | 'AWAITING_PLAN_APPROVAL'
  | 'AWAITING_USER_FEEDBACK'
  | 'IN_PROGRESS'
  | 'PAUSED'
  | 'FAILED'
  | 'COMPLETED';

export interface JulesPullRequest {
  url: string;
  title?: string;
  description?: string;
}

export interface JulesSession {
  name: string;
  id: string;
  state?: JulesSessionState;
  url?: string;
  title?: string;
  prompt?: string;
  outputs?: { pullRequest?: JulesPullRequest }[];
}

export interface JulesPlanStep {
  id?: string;
  title?: string;
  description?: string;
  index?: number;
}

export interface JulesArtifact {
  changeSet?: {
    source?: string;
    gitPatch?: { unidiffPatch?: string; baseCommitId?: string; suggestedCommitMessage?: string };
  };
  bashOutput?: { command?: string; output?: string; exitCode?: number };
  media?: { data?: string; mimeType?: string };
}

export interface JulesActivity {
  name: string;
  id: string;
  createTime?: string;
  originator?: 'agent' | 'user' | 'system';
  description?: string;
  agentMessaged?: { agentMessage?: string };
  userMessaged?: { userMessage?: string };
  planGenerated?: { plan?: { id?: string; steps?: JulesPlanStep[]; createTime?: string } };
  planApproved?: { planId?: string };
  progressUpdated?: { title?: string; description?: string };
  sessionCompleted?: Record<string, never>;
  sessionFailed?: { reason?: string };
  artifacts?: JulesArtifact[];
}

export interface JulesActivityPage {
  activities?: JulesActivity[];
  nextPageToken?: string;
}

export interface JulesSource {
  name: string;
  id?: string;
  githubRepo?: { owner: string; repo: string; defaultBranch?: { displayName: string } | string };
}
