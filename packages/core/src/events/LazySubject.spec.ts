import { lastValueFrom, toArray } from 'rxjs';
import { LazySubject } from './LazySubject';

describe('LazySubject', () => {
  it('is hot: a subscriber sees only what is pushed after it subscribed, every subscriber the same', () => {
    const subject = new LazySubject<number>();
    subject.next(1);
    const a: number[] = [];
    const b: number[] = [];
    subject.observable.subscribe((v) => a.push(v));
    subject.next(2);
    subject.observable.subscribe((v) => b.push(v));
    subject.next(3);
    expect(a).toEqual([2, 3]);
    expect(b).toEqual([3]);
  });

  it('completes its subscribers, and a late subscriber at once', async () => {
    const subject = new LazySubject<number>();
    const early = lastValueFrom(subject.observable.pipe(toArray()));
    subject.next(1);
    subject.complete();
    subject.next(2);
    expect(await early).toEqual([1]);
    expect(await lastValueFrom(subject.observable.pipe(toArray()))).toEqual([]);
  });

  it('errors its subscribers with the error it ended with, late ones too, even if nobody listened before', async () => {
    const subject = new LazySubject<number>();
    const boom = new Error('closed');
    subject.error(boom);
    subject.complete(); // too late: it already ended
    await expect(lastValueFrom(subject.observable)).rejects.toBe(boom);
  });
});
