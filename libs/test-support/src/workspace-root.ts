import path from 'node:path';

/** The Nx workspace root, seen from libs/test-support/src. */
export const workspaceRoot = path.resolve(__dirname, '../../..');

/** An absolute path for a workspace-relative one (absolute paths pass through). */
export function fromWorkspaceRoot(file: string): string {
  return path.resolve(workspaceRoot, file);
}
