import { LogRingBuffer } from './log-ring-buffer';

describe('LogRingBuffer', () => {
  it('joins lines split across chunks, keeps the last ones and drops colour codes', () => {
    const buffer = new LogRingBuffer(3);
    expect(buffer.write('out', 'one\ntw')).toEqual(['one']);
    expect(buffer.write('err', '\u001b[31mboom\u001b[39m\n')).toEqual(['boom']);
    expect(buffer.write('out', 'o\nthree\nfou')).toEqual(['two', 'three']);
    buffer.flush();
    expect(buffer.text()).toBe('out | two\nout | three\nout | fou');
  });
});
