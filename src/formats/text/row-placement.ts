/**
 * Where new models' rows go in models.csv: after the row of the nearest model before them in
 * PRIMARY's order that the file keeps (so a new model lands next to its neighbours, as a person
 * would add it); right after the header for PRIMARY's first model; at the end when no model
 * before it is in the file.
 */

export interface Placement {
  /** Row index → rows (cells) to insert after it (0 is the header). */
  readonly insertAfter: Map<number, string[][]>;
  /** Rows (cells) to append at the end. */
  readonly append: string[][];
}

/**
 * `primaryOrder` lists PRIMARY's models in order, `added` the new models' cells, and `keptRowOf`
 * the row a new model following an existing one goes after (undefined when that model keeps no row).
 */
export function placeNewRows(
  primaryOrder: readonly string[],
  added: ReadonlyMap<string, string[]>,
  keptRowOf: (model: string) => number | undefined,
): Placement {
  type Slot = { model: string; cells: string[] }[];
  const slots = new Map<number, Slot>();
  const append: Slot = [];
  const slotOf = new Map<string, Slot>();
  const put = (slot: Slot, at: number, model: string, cells: string[]) => {
    slot.splice(at, 0, { model, cells });
    slotOf.set(model, slot);
  };
  const rowSlot = (row: number): Slot => {
    const slot = slots.get(row) ?? [];
    slots.set(row, slot);
    return slot;
  };
  // In PRIMARY's order, so a run of new models keeps its order after their common neighbour.
  primaryOrder.forEach((model, position) => {
    const cells = added.get(model);
    if (cells === undefined) return;
    for (let j = position - 1; j >= 0; j--) {
      const previous = primaryOrder[j] as string;
      const slot = slotOf.get(previous);
      if (slot) return put(slot, slot.findIndex((entry) => entry.model === previous) + 1, model, cells);
      const row = keptRowOf(previous);
      if (row !== undefined) return put(rowSlot(row), rowSlot(row).length, model, cells);
    }
    if (position > 0) return put(append, append.length, model, cells);
    put(rowSlot(0), 0, model, cells);
  });
  const cellsOf = (slot: Slot) => slot.map((entry) => entry.cells);
  return {
    insertAfter: new Map([...slots].map(([row, slot]) => [row, cellsOf(slot)])),
    append: cellsOf(append),
  };
}
