/** The part of a terminal stream a status line needs. */
export interface StatusStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/**
 * One status line at the bottom of a terminal ("running program: 12 resources registered"),
 * redrawn in place and erased when done. Silent unless enabled (a TTY and a human format), so
 * pipes and JSON never see it.
 */
export class StatusLine {
  private shown = false;
  private readonly write: (text: string) => unknown;

  constructor(
    private readonly stream: StatusStream,
    readonly enabled: boolean,
  ) {
    // Kept from construction: the output guard later wraps the stream's write to clear this line.
    this.write = stream.write.bind(stream);
  }

  update(text: string): void {
    if (!this.enabled) return;
    // A pseudo-terminal may report 0 columns.
    const width = Math.max(20, (this.stream.columns || 80) - 1);
    const line = text.length > width ? `${text.slice(0, width - 3)}...` : text;
    this.write(`\r\u001b[K${line}`);
    this.shown = true;
  }

  clear(): void {
    if (!this.shown) return;
    this.write("\r\u001b[K");
    this.shown = false;
  }
}
