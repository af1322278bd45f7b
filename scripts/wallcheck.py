"""What the room sees on the wall, measured in the page (Playwright's page.evaluate): content
running below the screen, the smallest visible text on screen, and for the network the label
boxes that overlap and the nodes touching the plot's frame. Shared by bench/wall.py and the
browser tests."""

# On the wall, boot.js reports boxes in canvas pixels; `screenBox` is the true on-screen box.
SCREEN_BOX = "const sb = e => (e.screenBox ? e.screenBox() : e.getBoundingClientRect());"
MEASURE = (
    "() => {"
    + SCREEN_BOX
    + """
  const vh = window.innerHeight;
  // The wall is a 1920x1080 canvas scaled to the screen: a text's size on screen is its CSS size times the scale.
  const scale = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--td-wall-scale')) || 1;
  let bottom = 0, smallest = 1e9, smallestText = '';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || el.closest('[aria-hidden="true"]')) continue;
    const range = document.createRange(); range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    const box = sb(el);
    if (box.width <= 1 || box.height <= 1 || rect.width <= 1 || rect.height <= 1 || rect.right <= 0 || rect.bottom <= 0) continue;  // visually hidden (skip link)
    // A line cut off by a clamp (overflow hidden on the text or a card around it) is not on screen.
    // Only boxes inside the page's content count: the wall's canvas clips too, and what it cuts
    // off is exactly the overflow measured here.
    let seen = rect.bottom;
    for (let a = el; a && !a.matches('[data-testid="stMainBlockContainer"], body'); a = a.parentElement) {
      const o = getComputedStyle(a);
      if (o.overflowY === 'hidden' || o.overflowY === 'clip') seen = Math.min(seen, a.getBoundingClientRect().bottom);
    }
    bottom = Math.max(bottom, seen + window.scrollY);
    const size = parseFloat(style.fontSize) * scale;
    if (size < smallest) { smallest = size; smallestText = node.textContent.trim().slice(0, 40); }
  }
  document.querySelectorAll('svg text').forEach(t => {
    const r = sb(t); if (r.height) bottom = Math.max(bottom, r.bottom + window.scrollY);
  });
  return {overflow_px: Math.max(0, Math.round(bottom - vh)), smallest_px: Math.round(smallest * 10) / 10, smallest_text: smallestText,
          scroll_height: document.documentElement.scrollHeight};
}"""
)

# Plotly draws node labels as SVG <text>: count the pairs of overlapping boxes, and the markers
# touching the plot's frame.
NETWORK = (
    "() => {"
    + SCREEN_BOX
    + """
  const boxes = Array.from(document.querySelectorAll('.js-plotly-plot .textpoint text'))
    .map(sb).filter(r => r.width && r.height);
  let overlaps = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps++;
  }
  // The plot area (inside the margins), from Plotly's own layout, on screen.
  const gd = document.querySelector('.js-plotly-plot');
  let edge = 0, nodes = 0;
  if (gd && gd._fullLayout) {
    const svg = sb(gd.querySelector('.main-svg')), k = svg.width / gd._fullLayout.width, m = gd._fullLayout._size;
    const f = {left: svg.left + m.l * k, top: svg.top + m.t * k, right: svg.left + (m.l + m.w) * k, bottom: svg.top + (m.t + m.h) * k};
    gd.querySelectorAll('.scatterlayer .point').forEach(p => {
      const r = sb(p); if (!r.width) return; nodes++;
      if (r.left <= f.left + 1 || r.right >= f.right - 1 || r.top <= f.top + 1 || r.bottom >= f.bottom - 1) edge++;
    });
  }
  return {labels: boxes.length, label_overlaps: overlaps, nodes_drawn: nodes, nodes_at_edge: edge};
}"""
)
