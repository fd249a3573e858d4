/** Why a push failed, in terms the pull-request logic can act on. Free of git imports. */
import { SyncError } from '../errors.js';

export type PushFailureKind = 'protected' | 'forbidden' | 'auth' | 'stale' | 'other';

export class GitPushError extends SyncError {
  constructor(
    message: string,
    readonly kind: PushFailureKind,
  ) {
    super(message);
    this.name = 'GitPushError';
  }
}
