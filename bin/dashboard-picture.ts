import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parsePackwatchContext } from '../lib/config.js';
import { PackwatchStack } from '../lib/packwatch-stack.js';

/** One widget of a CloudWatch dashboard body, where the dashboard grid (24 columns wide) puts it. */
export interface DashboardWidget {
  readonly type: string;
  readonly title: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

const GRID_COLUMNS = 24;

/**
 * Synthesizes the Packwatch stack from raw context, as `bin/packwatch.ts` does but without bundling the
 * Lambda, and returns its dashboard body with every CloudFormation reference written as `{LogicalId}`.
 */
export function synthesizeDashboardBody(context: Readonly<Record<string, unknown>> = {}): string {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack: Stack = new PackwatchStack(app, 'Packwatch', { config: parsePackwatchContext(context) });
  return dashboardBodyOf(Template.fromStack(stack).toJSON());
}

/** The `DashboardBody` of the template's only dashboard, `Fn::Join` resolved with `{Ref}` placeholders. */
export function dashboardBodyOf(template: { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> }): string {
  const dashboards = Object.values(template.Resources ?? {}).filter((resource) => resource.Type === 'AWS::CloudWatch::Dashboard');
  if (dashboards.length !== 1) throw new Error(`Expected one AWS::CloudWatch::Dashboard, found ${dashboards.length}`);
  return resolvePlaceholders(dashboards[0]!.Properties?.DashboardBody);
}

function resolvePlaceholders(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (Array.isArray(object['Fn::Join'])) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map(resolvePlaceholders).join(separator);
    }
    if (typeof object.Ref === 'string') return `{${object.Ref}}`;
    if (Array.isArray(object['Fn::GetAtt'])) return `{${(object['Fn::GetAtt'] as string[]).join('.')}}`;
  }
  return '{…}';
}

/** The widgets of a dashboard body (JSON), top to bottom and left to right, each with a readable title. */
export function widgetsOf(body: string): DashboardWidget[] {
  const parsed = JSON.parse(body) as { widgets?: Record<string, unknown>[] };
  return (parsed.widgets ?? [])
    .map((widget) => {
      const properties = (widget.properties ?? {}) as Record<string, unknown>;
      return {
        type: String(widget.type),
        title: titleOf(properties),
        x: Number(widget.x),
        y: Number(widget.y),
        width: Number(widget.width),
        height: Number(widget.height),
      };
    })
    .sort((a, b) => a.y - b.y || a.x - b.x);
}

/** A graph's or a log query's title; for a text widget, its first line without markdown. */
function titleOf(properties: Record<string, unknown>): string {
  if (typeof properties.title === 'string' && properties.title !== '') return properties.title;
  if (typeof properties.markdown === 'string') {
    const firstLine = properties.markdown.split('\n').find((line) => line.trim() !== '') ?? '';
    return firstLine
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/[#*`]/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  }
  return '(untitled)';
}

/**
 * The dashboard as markdown: a text drawing of the grid (4 characters a column, one line a row; each box
 * starts with its title) and a table of every widget with its position and size.
 */
export function renderMarkdown(widgets: readonly DashboardWidget[], heading = 'Packwatch dashboard layout'): string {
  const columnWidth = 4;
  const rows = Math.max(0, ...widgets.map((widget) => widget.y + widget.height));
  const canvas = Array.from({ length: rows + 1 }, () => Array.from({ length: GRID_COLUMNS * columnWidth + 1 }, () => ' '));
  const put = (line: number, column: number, character: string) => {
    const row = canvas[line];
    if (row && column < row.length) row[column] = character;
  };
  for (const widget of widgets) {
    const left = widget.x * columnWidth;
    const right = (widget.x + widget.width) * columnWidth;
    const top = widget.y;
    const bottom = widget.y + widget.height;
    for (let column = left; column <= right; column += 1) {
      for (const line of [top, bottom]) put(line, column, column === left || column === right ? '+' : '-');
    }
    for (let line = top + 1; line < bottom; line += 1) {
      put(line, left, '|');
      put(line, right, '|');
    }
    const label = ` ${widget.title} `;
    const room = right - left - 3;
    const text = label.length > room ? `${label.slice(0, Math.max(0, room - 2))}… ` : label;
    [...text].forEach((character, index) => put(top, left + 2 + index, character));
    if (widget.height >= 2) {
      const kind = `${widget.type} ${widget.width}×${widget.height}`;
      if (kind.length <= right - left - 3) [...kind].forEach((character, index) => put(top + 1, left + 2 + index, character));
    }
  }
  const drawing = canvas.map((line) => line.join('').trimEnd()).join('\n');
  const table = widgets.map(
    (widget) => `| ${widget.y} | ${widget.x} | ${widget.width}×${widget.height} | ${widget.type} | ${escapeTableCell(widget.title)} |`,
  );
  return [
    `# ${heading}`,
    '',
    'Generated by `npx tsx bin/render-dashboard.ts > docs/dashboard.md` from the synthesized dashboard body',
    '(default context); `{…}` stands for a value CloudFormation fills in. Do not edit by hand: a test compares it.',
    '',
    '```text',
    drawing,
    '```',
    '',
    '| y | x | size | type | title |',
    '|---|---|------|------|-------|',
    ...table,
    '',
  ].join('\n');
}

/** The same grid as an SVG picture (40 px a column, 24 px a row). */
export function renderSvg(widgets: readonly DashboardWidget[]): string {
  const cell = { width: 40, height: 24 };
  const width = GRID_COLUMNS * cell.width;
  const height = Math.max(1, ...widgets.map((widget) => widget.y + widget.height)) * cell.height;
  const fill: Record<string, string> = { text: '#f2f3f3', metric: '#e8f1fb', log: '#fdf3e1', alarm: '#fde8e8' };
  const boxes = widgets.map((widget) => {
    const x = widget.x * cell.width;
    const y = widget.y * cell.height;
    const w = widget.width * cell.width;
    const h = widget.height * cell.height;
    const maxCharacters = Math.floor((w - 12) / 7);
    const title = widget.title.length > maxCharacters ? `${widget.title.slice(0, Math.max(0, maxCharacters - 1))}…` : widget.title;
    const kind = widget.height >= 2 ? `\n    <text x="${x + 6}" y="${y + 34}" class="kind">${widget.type} ${widget.width}×${widget.height}</text>` : '';
    return (
      `  <g>\n    <title>${escapeXml(widget.title)}</title>\n` +
      `    <rect x="${x + 1}" y="${y + 1}" width="${w - 2}" height="${h - 2}" rx="3" fill="${fill[widget.type] ?? '#ffffff'}" stroke="#8d99a8"/>\n` +
      `    <text x="${x + 6}" y="${y + 16}" class="title">${escapeXml(title)}</text>${kind}\n  </g>`
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    '  <style>.title { font-size: 12px; font-weight: bold; fill: #16191f; } .kind { font-size: 11px; fill: #5f6b7a; }</style>',
    `  <rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...boxes,
    '</svg>',
    '',
  ].join('\n');
}

export function escapeTableCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
