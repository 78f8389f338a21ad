/**
 * A binary max-heap keyed by a number, for visiting graph nodes newest first. Swaps go through a
 * local, not a destructuring assignment, which allocates an array per swap (thousands per reverse
 * pass of a scan).
 */
export class MaxHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly key: (item: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.key(a[parent] as T) >= this.key(a[i] as T)) break;
      const t = a[parent] as T;
      a[parent] = a[i] as T;
      a[i] = t;
      i = parent;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.key(a[l] as T) > this.key(a[m] as T)) m = l;
        if (r < a.length && this.key(a[r] as T) > this.key(a[m] as T)) m = r;
        if (m === i) break;
        const t = a[m] as T;
        a[m] = a[i] as T;
        a[i] = t;
        i = m;
      }
    }
    return top;
  }
}
