import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { workspaceRoot } from '../workspace-root';

/** Debian's Chromium (`apt-get install -y chromium`), driven through playwright-core: no browser download. */
export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

/** Where browser tests keep what a person may want to look at after the run (tmp/ is not committed). */
export const TEST_ARTIFACTS_DIR = path.join(workspaceRoot, 'tmp', 'test-artifacts');

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Headless Chromium, quiet and without a sandbox (tests run as root in containers). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
}
