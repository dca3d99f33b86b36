import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, headless, for the monthly report as a PDF (and for the browser tests). Never a downloaded
 * browser. These switches keep it from reaching out to the network on its own or needing a GPU or a sandbox.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}
