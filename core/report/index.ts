/** Markdown for pull request comments, job summaries and model cards. */
export { code, codeCell, escapeCell, inert, inertLines, inertMarkdown, plainLine, repoLink } from './inert.ts';
export { formatCount, table } from './format.ts';
export { headline } from './headline.ts';
export { truncateText, CHECK_OUTPUT_LIMIT, COMMENT_BODY_LIMIT } from './truncate.ts';
export { renderComment, stickyMarker, COMMENT_MAX_CHARS } from './comment.ts';
export type { CommentInput } from './comment.ts';
export { renderJobSummary, JOB_SUMMARY_MAX_BYTES } from './summary.ts';
export type { JobSummaryInput } from './summary.ts';
export { renderTrainingSummary } from './training-summary.ts';
export { renderDriftSection, DRIFT_NAME_CHARS } from './drift-section.ts';
export type { DriftSectionOptions } from './drift-section.ts';
export { formatDuration } from './internal/training-details.ts';
export type { TrainingSummaryInput } from './training-summary.ts';
export { renderModelCard } from './model-card.ts';
export type { ModelCardInput } from './model-card.ts';
export type { CommentOptions, ReportInput } from './compose.ts';
export type { ColumnLabels } from './metric-table.ts';
export { renderMetricTable, renderGateSection, verdictOf } from './metric-table.ts';
export {
  renderRegistryView,
  renderModelsTable,
  readDeploymentsSeen,
  recordDeployment,
  REGISTRY_ISSUE_MARKER,
  REGISTRY_ISSUE_TITLE,
} from './registry-view.ts';
export type { DeploymentSeen, NotHonouredTag, RegistryViewInput } from './registry-view.ts';
export { renderReleaseNotes } from './release-notes.ts';
export type { ReleaseNotesInput } from './release-notes.ts';
export { renderDeploymentReview, REVIEW_COMMENT_LIMIT } from './deployment-review.ts';
export type { DeploymentReviewInput } from './deployment-review.ts';
export { renderChallengeSection } from './challenge-section.ts';
