/**
 * A pack deployed from another account (a delegated administrator, read through a source role) is
 * named `<account>/<pack>` inside Packwatch, so packs of different sources never collide; a pack of
 * the calling account keeps its plain name. Pack names cannot contain "/", so this is unambiguous.
 */
export interface PackId {
  /** The account the pack was deployed from, when it is not the calling account. */
  readonly sourceAccount?: string;
  readonly name: string;
}

export function formatPackId(id: PackId): string {
  return id.sourceAccount ? `${id.sourceAccount}/${id.name}` : id.name;
}

export function parsePackId(text: string): PackId {
  const slash = text.indexOf('/');
  return slash < 0 ? { name: text } : { sourceAccount: text.slice(0, slash), name: text.slice(slash + 1) };
}
