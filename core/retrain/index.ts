/** Scheduled retraining: the champion-vs-challenger verdict, and what it becomes on GitHub (one pull request per model, or a registered version). */
export { CHALLENGE_SCHEMA, parseChallengeDecision, type ChallengeDecision } from './decision.ts';
export { RETRAIN_BRANCH_PREFIX, retrainBranch, retrainMarker } from './branch.ts';
export { proposeRetrain, type ProposeOptions, type ProposeResult } from './propose.ts';
export { keepComment, proposalBody, proposalTitle, type ProposalText } from './internal/proposal-body.ts';
