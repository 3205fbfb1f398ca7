import { OutputTail } from './OutputTail';

describe('OutputTail', () => {
  it('is empty before anything is written', () => {
    expect(new OutputTail().text()).toBe('');
  });

  it('keeps only the last maxLines lines', () => {
    const tail = new OutputTail({ maxLines: 3 });
    for (let i = 1; i <= 10; i++) tail.push(Buffer.from(`line ${i}\n`));
    expect(tail.text()).toBe('line 8\nline 9\nline 10\n');
  });

  it('keeps at most maxChars characters, dropping the cut-off first line', () => {
    const tail = new OutputTail({ maxChars: 20, maxLines: 100 });
    for (let i = 0; i < 1000; i++) tail.push(`${'x'.repeat(7)}${i % 10}\n`);
    const text = tail.text();
    expect(text.length).toBeLessThanOrEqual(20);
    expect(text).toBe('xxxxxxx8\nxxxxxxx9\n');
  });

  it('decodes a multi-byte character split across chunks', () => {
    const tail = new OutputTail();
    const bytes = Buffer.from('héllo ✓\n');
    tail.push(bytes.subarray(0, 2));
    tail.push(bytes.subarray(2, 9));
    tail.push(bytes.subarray(9));
    expect(tail.text()).toBe('héllo ✓\n');
  });

  it('masks secrets, even when a secret arrived in two chunks', () => {
    const tail = new OutputTail({ secrets: ['gho_secret', ''] });
    tail.push('auth failed for gho_sec');
    tail.push('ret, retrying with gho_secret\n');
    expect(tail.text()).toBe('auth failed for ***, retrying with ***\n');
  });
});
