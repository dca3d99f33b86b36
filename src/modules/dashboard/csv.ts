import { stringify } from 'csv-stringify/sync';
import type { FigureTable } from './figures.ts';

/**
 * A table as CSV, with exactly the figures the page shows. A cell that a spreadsheet would read as a formula
 * (starting =, +, -, @, tab or return) gets a leading apostrophe, so a neighbourhood's name cannot run code.
 */
export function tableCsv(table: FigureTable): string {
  const rows = [table.headers, ...table.rows.map((r) => [r.label, ...r.cells]), ...(table.total === undefined ? [] : [[table.total.label, ...table.total.cells]])];
  return stringify(rows.map((row) => row.map(safeCell)), { record_delimiter: '\r\n' });
}

function safeCell(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
