import { launchChromium } from '../../core/chromium.ts';

/**
 * Prints a page of ours to an A4 PDF with Chromium, as a person choosing "Print" would, with the print stylesheet.
 * The page is served to Chromium from memory at a made-up address, and so are the stylesheet and fonts it asks
 * for (from the app itself): Chromium never talks to the network or to the live server, and needs no session.
 */

export interface LocalResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

const PRINT_ORIGIN = 'http://alongside.print';

export async function printToPdf(chromiumPath: string, html: string, fetchLocal: (path: string) => Promise<LocalResponse>, footer: string): Promise<Buffer> {
  const browser = await launchChromium(chromiumPath);
  try {
    const page = await browser.newPage();
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== PRINT_ORIGIN) return route.abort();
      if (url.pathname === '/report') return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      // Only what a report loads: stylesheets, fonts and images. Scripts are not needed on paper.
      if (!/\.(css|woff2?|svg|png|ico)$/.test(url.pathname)) return route.abort();
      const local = await fetchLocal(url.pathname);
      return route.fulfill({ status: local.status, contentType: local.contentType, body: local.body });
    });
    await page.goto(`${PRINT_ORIGIN}/report`, { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      margin: { top: '18mm', bottom: '18mm', left: '15mm', right: '15mm' },
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div style="font-size:8pt;width:100%;padding:0 15mm;display:flex;justify-content:space-between;font-family:Arial,sans-serif"><span>${escapeHtml(footer)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
    });
  } finally {
    await browser.close();
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
