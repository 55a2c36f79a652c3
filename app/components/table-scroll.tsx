import { type ReactNode } from 'react'

/**
 * A wide table scrolls sideways inside this box so the page itself fits a 360 px phone. The box is
 * a named region in the tab order, so keyboard users can reach it and scroll it with the arrow keys.
 * `labelledBy` is the id of the heading or caption that names the table.
 */
export function TableScroll({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
	return (
		// biome-ignore lint/a11y/useSemanticElements: a scrolling region, not a page section; axe asks scrollable regions to be focusable
		// biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users scroll a wide table by focusing it (axe scrollable-region-focusable)
		<div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
			{children}
		</div>
	)
}
