export type OutputStream = 'out' | 'err';

// Colour and cursor escapes (Nest's logger colours its output): noise in a test report.
const ESC = String.fromCharCode(27);
const ANSI_ESCAPE = new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]`, 'g');

/** The last `capacity` lines a process printed, stdout and stderr interleaved as they came. */
export class LogRingBuffer {
  private readonly lines: string[] = [];
  private readonly partial: Record<OutputStream, string> = { out: '', err: '' };

  constructor(private readonly capacity: number) {}

  /** Adds a chunk of output and returns the lines it completed. */
  write(stream: OutputStream, chunk: string): string[] {
    const pieces = (this.partial[stream] + chunk).replace(ANSI_ESCAPE, '').split(/\r?\n/);
    this.partial[stream] = pieces.pop() ?? '';
    for (const line of pieces) this.push(stream, line);
    return pieces;
  }

  /** Keeps what is left of an unterminated last line (the process has exited). */
  flush(): void {
    for (const stream of ['out', 'err'] as const) {
      if (this.partial[stream]) this.push(stream, this.partial[stream]);
      this.partial[stream] = '';
    }
  }

  text(): string {
    return this.lines.join('\n');
  }

  private push(stream: OutputStream, line: string): void {
    this.lines.push(`${stream} | ${line}`);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
  }
}
