export { loadWorkflowFile, WORKFLOW_EXTENSIONS, type LoadResult } from './loadWorkflowFile.ts';
export { loadWorkflowDirs, type LoadedWorkflow } from './loadWorkflowDirs.ts';
export { findRepoWorkflowDir } from './findRepoWorkflowDir.ts';
