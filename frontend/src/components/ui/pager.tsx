import { Button } from './button';

interface PagerProps {
  /** Names the navigation for screen readers, e.g. "Topic pages". */
  label: string;
  page: number;
  pageSize: number;
  total: number;
  /** What is counted, plural: "topics". */
  noun: string;
  onPage: (page: number) => void;
}

/** Previous / next for a paged list; nothing when everything fits on one page. */
export function Pager({ label, page, pageSize, total, noun, onPage }: PagerProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (total <= pageSize) {
    return null;
  }
  return (
    <nav aria-label={label} className="flex items-center justify-between gap-2 text-sm">
      <Button size="sm" onClick={() => onPage(page - 1)} disabled={page <= 1}>
        Previous
      </Button>
      <span className="text-slate-500 tabular-nums">
        Page {page} of {pages} · {total} {noun}
      </span>
      <Button size="sm" onClick={() => onPage(page + 1)} disabled={page >= pages}>
        Next
      </Button>
    </nav>
  );
}
