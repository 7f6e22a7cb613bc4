// The guide's call sequence (a mermaid sequenceDiagram in the original) drawn as inline SVG at build time:
// Redoc does not render mermaid, and the page may load nothing from another host, so no diagram service either.
import type { Locale } from "./locales.ts";

interface Message {
  from: number;
  to: number;
  label: string;
  reply: boolean;
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** One line of SVG (no blank lines: Markdown would end the HTML block there). */
export function sequenceDiagramSvg(locale: Locale): string {
  const w = locale.words.sequence;
  const participants = [w.partner, w.gateway, w.system, w.business];
  const messages: Message[] = [
    { from: 0, to: 1, label: w.tokenRequest, reply: false },
    { from: 1, to: 2, label: w.forwardToken, reply: false },
    { from: 2, to: 0, label: w.tokenResponse, reply: true },
    { from: 0, to: 1, label: w.businessRequest, reply: false },
    { from: 1, to: 3, label: w.validate, reply: false },
    { from: 3, to: 0, label: w.businessResponse, reply: true },
  ];
  const colWidth = 200;
  const left = 90;
  const top = 10;
  const boxH = 34;
  const rowH = 62;
  const width = left * 2 + colWidth * (participants.length - 1);
  const height = top + boxH + 24 + rowH * messages.length + boxH + 20;
  const x = (i: number): number => left + i * colWidth;
  const font = 'font-family="-apple-system,Segoe UI,Helvetica,Arial,sans-serif"';
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(participants.join(" → "))}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    '<defs><marker id="seq-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1e293b"/></marker></defs>',
  ];
  const lifelineBottom = height - 20 - boxH;
  participants.forEach((name, i) => {
    parts.push(
      `<line x1="${x(i)}" y1="${top + boxH}" x2="${x(i)}" y2="${lifelineBottom}" stroke="#94a3b8" stroke-dasharray="4 4"/>`,
    );
    for (const y of [top, lifelineBottom]) {
      parts.push(
        `<rect x="${x(i) - 80}" y="${y}" width="160" height="${boxH}" rx="6" fill="#eef2ff" stroke="#6366f1"/>`,
        `<text x="${x(i)}" y="${y + 22}" text-anchor="middle" font-size="14" font-weight="600" ${font} fill="#1e293b">${escapeXml(name)}</text>`,
      );
    }
  });
  messages.forEach((message, row) => {
    const y = top + boxH + 24 + rowH * row + 40;
    const x1 = x(message.from);
    const x2 = x(message.to);
    const inset = x2 > x1 ? -4 : 4;
    parts.push(
      `<line x1="${x1}" y1="${y}" x2="${x2 + inset}" y2="${y}" stroke="#1e293b" stroke-width="1.5"${message.reply ? ' stroke-dasharray="6 4"' : ""} marker-end="url(#seq-arrow)"/>`,
      // A long label takes two lines, split at " · ", so it stays readable above its arrow.
      ...message.label
        .split(" · ")
        .reverse()
        .map(
          (line, i) =>
            `<text x="${(x1 + x2) / 2}" y="${y - 8 - i * 16}" text-anchor="middle" font-size="13" ${font} fill="#334155">${escapeXml(line)}</text>`,
        ),
    );
  });
  parts.push("</svg>");
  return parts.join("");
}
