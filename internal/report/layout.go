package report

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Diagram geometry, in SVG user units (px).
const (
	nodeW    = 240.0
	nodeH    = 74.0
	gapX     = 50.0
	gapY     = 74.0 // room for edge labels between layers
	margin   = 24.0
	startH   = 40.0 // the start marker band
	backLane = 34.0 // horizontal room per back edge on the right
	maxChars = 33   // characters of a node line before it is cut
	maxLabel = 40   // characters of an edge label before it is cut
)

// diagram is what the SVG template draws.
type diagram struct {
	W, H      float64
	Marker    string // id of the arrow marker
	Start     *startMark
	Nodes     []nodeBox
	Edges     []edgePath
	Missing   []nodeBox
	Layers    int
	Reachable int
}

type startMark struct {
	X, Y, W, H float64
	Text       string
	Full       string
	Path       string
}

type nodeBox struct {
	ID        string
	X, Y      float64
	W, H      float64
	Type      string
	TypeClass string
	Lines     []textLine
	Tooltip   string
	Class     string // worst finding class
	Badge     *badge
	Unreached bool
}

type textLine struct {
	X, Y float64
	Text string
}

type badge struct {
	X, Y, R float64
	Text    string
	Tooltip string
}

type edgePath struct {
	D        string
	Back     bool
	Label    string
	Full     string
	LX, LY   float64 // label centre
	LW       float64 // label background width
	Dangling bool
}

// slot is a place in a layer: an activity, a stub for a missing
// activity, or a dummy point a long edge passes through.
type slot struct {
	n            *node // nil for a dummy
	layer, pos   int
	x, w         float64
	preds, succs []*slot
	key          float64
}

func (s *slot) cx() float64 { return s.x + s.w/2 }

// route is one drawn edge: the slots it passes, source first.
type route struct {
	from  *node
	e     *edge
	slots []*slot
	back  bool
}

// layout places the activities in layers: the longest path from the start
// activity over forward edges (the back edges of cycles are left out), with
// dummy points on edges that skip layers so they run between activities
// rather than through them; a few barycentre sweeps order each layer.
// Activities the start does not reach are layered among themselves and
// drawn dashed; an edge to an activity that is not defined ends in a red
// stub.
func layout(jv *journeyView) {
	order := dfsOrder(jv)
	state := map[string]int{} // 0 new, 1 on the DFS stack, 2 done
	var visit func(n *node)
	visit = func(n *node) {
		state[n.ID] = 1
		for _, e := range n.Edges {
			t := jv.byID[e.To]
			if t == nil {
				continue
			}
			switch state[t.ID] {
			case 1:
				e.Back = true
			case 0:
				visit(t)
			}
		}
		state[n.ID] = 2
	}
	for _, n := range order {
		if state[n.ID] == 0 {
			visit(n)
		}
	}
	if s := jv.byID[jv.Start]; s != nil {
		var reach func(n *node)
		reach = func(n *node) {
			if n.Reachable {
				return
			}
			n.Reachable = true
			for _, e := range n.Edges {
				if t := jv.byID[e.To]; t != nil {
					reach(t)
				}
			}
		}
		reach(s)
	}
	// Longest path, reachable and unreachable activities apart so that an
	// orphan cannot push the real flow down.
	for _, n := range jv.Nodes {
		n.Layer = 0
	}
	for _, n := range topoOrder(jv, order) {
		for _, e := range n.Edges {
			t := jv.byID[e.To]
			if t == nil || e.Back || t.Reachable != n.Reachable {
				continue
			}
			if t.Layer < n.Layer+1 {
				t.Layer = n.Layer + 1
			}
		}
	}
	layers := 0
	for _, n := range jv.Nodes {
		if n.Layer+1 > layers {
			layers = n.Layer + 1
		}
	}
	// Stubs for missing activities sit one layer below their lowest source.
	stubs := map[string]*node{}
	for _, id := range jv.Missing {
		stubs[id] = &node{ID: id, Type: "missing", Layer: -1}
	}
	for _, n := range order {
		for _, e := range n.Edges {
			if st := stubs[e.To]; st != nil && jv.byID[e.To] == nil && st.Layer < n.Layer+1 {
				st.Layer = n.Layer + 1
			}
		}
	}
	if st := stubs[jv.Start]; st != nil && st.Layer < 0 {
		st.Layer = 0
	}
	for _, id := range jv.Missing {
		if stubs[id].Layer < 0 {
			stubs[id].Layer = 0
		}
		if stubs[id].Layer+1 > layers {
			layers = stubs[id].Layer + 1
		}
	}

	// Slots and routes.
	byLayer := make([][]*slot, layers)
	slotOf := map[*node]*slot{}
	add := func(n *node, layer int) *slot {
		s := &slot{n: n, layer: layer, w: nodeW}
		if n == nil {
			s.w = dummyW
		}
		byLayer[layer] = append(byLayer[layer], s)
		if n != nil {
			slotOf[n] = s
		}
		return s
	}
	for _, n := range order {
		add(n, n.Layer)
	}
	for _, id := range jv.Missing {
		add(stubs[id], stubs[id].Layer)
	}
	var routes []*route
	for _, n := range order {
		for _, e := range n.Edges {
			t := jv.byID[e.To]
			if t == nil {
				t = stubs[e.To]
			}
			r := &route{from: n, e: e, slots: []*slot{slotOf[n]}}
			if e.Back || t.Layer <= n.Layer {
				r.back = true
				r.slots = append(r.slots, slotOf[t])
				routes = append(routes, r)
				continue
			}
			prev := slotOf[n]
			for l := n.Layer + 1; l < t.Layer; l++ {
				d := add(nil, l)
				prev.succs = append(prev.succs, d)
				d.preds = append(d.preds, prev)
				r.slots = append(r.slots, d)
				prev = d
			}
			ts := slotOf[t]
			prev.succs = append(prev.succs, ts)
			ts.preds = append(ts.preds, prev)
			r.slots = append(r.slots, ts)
			routes = append(routes, r)
		}
	}
	// Order within layers: barycentre sweeps down, up, down.
	for l := range byLayer {
		for i, s := range byLayer[l] {
			s.pos = i
		}
	}
	sweep := func(l int, down bool) {
		row := byLayer[l]
		for _, s := range row {
			ns := s.preds
			if !down {
				ns = s.succs
			}
			s.key = float64(s.pos)
			if len(ns) > 0 {
				sum := 0.0
				for _, x := range ns {
					sum += float64(x.pos)
				}
				s.key = sum / float64(len(ns))
			}
		}
		sort.SliceStable(row, func(i, j int) bool { return row[i].key < row[j].key })
		for i, s := range row {
			s.pos = i
		}
	}
	for pass := 0; pass < 3; pass++ {
		if pass%2 == 0 {
			for l := 1; l < layers; l++ {
				sweep(l, true)
			}
		} else {
			for l := layers - 2; l >= 0; l-- {
				sweep(l, false)
			}
		}
	}
	// Coordinates: each layer centred in the widest one.
	contentW := nodeW
	for _, row := range byLayer {
		if w := rowWidth(row); w > contentW {
			contentW = w
		}
	}
	top := margin + startH + gapY/2
	layerY := func(l int) float64 { return top + float64(l)*(nodeH+gapY) }
	for _, row := range byLayer {
		x := margin + (contentW-rowWidth(row))/2
		for _, s := range row {
			s.x = x
			x += s.w + gapX
			if s.n != nil {
				s.n.Pos = s.pos
				s.n.X, s.n.Y = s.x, layerY(s.layer)
			}
		}
	}
	backs := 0
	for _, r := range routes {
		if r.back {
			backs++
		}
	}
	d := &diagram{Marker: "arrow-" + strings.TrimPrefix(jv.Anchor, "journey-"), Layers: layers}
	d.W = contentW + 2*margin
	if backs > 0 {
		d.W += float64(backs)*backLane + 40
	}
	d.H = layerY(layers) - gapY + margin + 10
	if layers == 0 {
		d.H = top + margin
	}
	for _, n := range jv.Nodes {
		d.Nodes = append(d.Nodes, box(n))
		if n.Reachable {
			d.Reachable++
		}
	}
	for _, id := range jv.Missing {
		st := stubs[id]
		s := slotOf[st]
		b := nodeBox{ID: id, X: s.x, Y: layerY(s.layer), W: nodeW, H: nodeH / 2, Type: "missing", TypeClass: "t-missing",
			Tooltip: "activity " + id + " is referenced but not defined"}
		b.Lines = []textLine{{X: b.X + 10, Y: b.Y + b.H/2 + 4, Text: cut("missing activity "+id, maxChars)}}
		d.Missing = append(d.Missing, b)
	}

	// Start marker above the start activity.
	sm := &startMark{Full: "Start: " + jv.StartCnd}
	sm.Text = cut(sm.Full, 64)
	sm.W = math.Max(nodeW, float64(len([]rune(sm.Text)))*7.0+24)
	sm.H = startH - 10
	sm.Y = margin
	if s := jv.byID[jv.Start]; s != nil {
		sm.X = s.X + nodeW/2 - sm.W/2
		sm.Path = fmt.Sprintf("M %s %s L %s %s", f1(s.X+nodeW/2), f1(sm.Y+sm.H), f1(s.X+nodeW/2), f1(s.Y-2))
	} else {
		sm.Full += " (the start activity " + orDash(jv.Start) + " is not defined)"
		sm.Text = cut(sm.Full, 64)
		sm.W = math.Max(nodeW, float64(len([]rune(sm.Text)))*7.0+24)
		sm.X = margin
	}
	if sm.X < 4 {
		sm.X = 4
	}
	if sm.X+sm.W > d.W-4 {
		d.W = sm.X + sm.W + 4
	}
	d.Start = sm

	// Edges leave an activity's bottom spread out in the order of where
	// they go, so that they do not cross right under it.
	offsets := map[*edge]float64{}
	fwd := map[*node][]*route{}
	for _, r := range routes {
		if !r.back {
			fwd[r.from] = append(fwd[r.from], r)
		}
	}
	for _, rs := range fwd {
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].slots[1].cx() < rs[j].slots[1].cx() })
		for i, r := range rs {
			if len(rs) > 1 {
				offsets[r.e] = -0.3 + 0.6*float64(i)/float64(len(rs)-1)
			}
		}
	}
	lane := 0
	for _, r := range routes {
		var ep edgePath
		src := r.slots[0]
		dst := r.slots[len(r.slots)-1]
		if r.back {
			lane++
			ep = backRoute(src, dst, layerY, contentW+margin+float64(lane)*backLane, lane)
		} else {
			ep = forwardRoute(r, offsets[r.e], layerY)
		}
		ep.Dangling = dst.n != nil && dst.n.Type == "missing"
		ep.Full = r.e.Label
		ep.Label = cut(r.e.Label, maxLabel)
		if ep.Label != "" {
			ep.LW = float64(len([]rune(ep.Label)))*6.2 + 10
		}
		d.Edges = append(d.Edges, ep)
	}
	jv.Diagram = d
}

// dummyW is the width a long edge takes in a layer it passes.
const dummyW = 60.0

func rowWidth(row []*slot) float64 {
	w := 0.0
	for i, s := range row {
		if i > 0 {
			w += gapX
		}
		w += s.w
	}
	return w
}

func slotH(s *slot) float64 {
	if s.n != nil && s.n.Type == "missing" {
		return nodeH / 2
	}
	return nodeH
}

// forwardRoute draws an edge downwards: a curve between layers, a straight
// line through each layer it skips.
func forwardRoute(r *route, off float64, layerY func(int) float64) edgePath {
	src := r.slots[0]
	x0, y0 := src.cx()+off*nodeW, layerY(src.layer)+nodeH
	var b strings.Builder
	fmt.Fprintf(&b, "M %s %s", f1(x0), f1(y0))
	var p edgePath
	for i, s := range r.slots[1:] {
		x1, y1 := s.cx(), layerY(s.layer)
		dy := (y1 - y0) / 2
		end := y1
		if i == len(r.slots)-2 {
			end = y1 - 2 // leave room for the arrow head
		}
		fmt.Fprintf(&b, " C %s %s, %s %s, %s %s", f1(x0), f1(y0+dy), f1(x1), f1(y1-dy), f1(x1), f1(end))
		if i == 0 {
			// The label sits on the first curve, past its middle, where the
			// edges fanning out of one activity are apart.
			p.LX, p.LY = cubic(0.62, x0, x0, x1, x1), cubic(0.62, y0, y0+dy, y1-dy, y1)
		}
		x0, y0 = x1, y1
		if s.n == nil {
			y0 = y1 + slotH(s)
			fmt.Fprintf(&b, " L %s %s", f1(x0), f1(y0))
		}
	}
	p.D = b.String()
	return p
}

func cubic(t, a, b, c, d float64) float64 {
	u := 1 - t
	return u*u*u*a + 3*u*u*t*b + 3*u*t*t*c + t*t*t*d
}

// backRoute draws an edge that closes a cycle (or climbs) as an
// orthogonal line through the gaps between layers and a lane on the right,
// so it never crosses an activity.
func backRoute(src, dst *slot, layerY func(int) float64, laneX float64, lane int) edgePath {
	stagger := float64(lane%4) * 5
	x1 := src.x + src.w - 14
	y1 := layerY(src.layer) + slotH(src)
	ya := y1 + gapY*0.2 + stagger
	x2 := dst.x + dst.w - 14
	y2 := layerY(dst.layer)
	yb := y2 - gapY*0.2 - stagger
	p := edgePath{Back: true, D: fmt.Sprintf("M %s %s L %s %s L %s %s L %s %s L %s %s L %s %s",
		f1(x1), f1(y1), f1(x1), f1(ya), f1(laneX), f1(ya), f1(laneX), f1(yb), f1(x2), f1(yb), f1(x2), f1(y2-2))}
	p.LX, p.LY = laneX, (ya+yb)/2
	return p
}

func box(n *node) nodeBox {
	b := nodeBox{ID: n.ID, X: n.X, Y: n.Y, W: nodeW, H: nodeH, Type: n.Type, TypeClass: "t-" + typeClass(n.Type), Class: n.Class, Unreached: !n.Reachable}
	head := n.Type + " · " + n.ID
	lines := append([]string{head}, n.Params...)
	if len(lines) > 3 {
		lines = lines[:3]
	}
	for i, l := range lines {
		b.Lines = append(b.Lines, textLine{X: n.X + 10, Y: n.Y + 22 + float64(i)*19, Text: cut(l, maxChars)})
	}
	tip := []string{n.Type + " activity " + n.ID}
	tip = append(tip, n.Params...)
	if n.Description != "" {
		tip = append(tip, n.Description)
	}
	if !n.Reachable {
		tip = append(tip, "not reachable from the start activity")
	}
	if len(n.Findings) > 0 {
		var rules []string
		for _, f := range n.Findings {
			rules = append(rules, f.F.Class+": "+f.F.Rule)
		}
		b.Badge = &badge{X: n.X + nodeW - 4, Y: n.Y + 4, R: 11, Text: classLetter(n.Class), Tooltip: strings.Join(rules, "\n")}
		tip = append(tip, "findings: "+strings.Join(rules, ", "))
	}
	b.Tooltip = strings.Join(tip, "\n")
	return b
}

func typeClass(t string) string {
	switch t {
	case "EMAIL", "SMS", "PUSH", "CUSTOM", "ContactCenter":
		return "message"
	case "Wait":
		return "wait"
	case "Holdout":
		return "holdout"
	case "ConditionalSplit", "MultiCondition", "RandomSplit":
		return "split"
	}
	return "unknown"
}

func classLetter(c string) string {
	switch c {
	case "transform":
		return "T"
	case "redesign":
		return "R"
	case "manual":
		return "M"
	}
	return "D"
}

// dfsOrder lists the activities depth first from the start activity, then
// the ones it does not reach, in id order: a stable order for ties.
func dfsOrder(jv *journeyView) []*node {
	seen := map[string]bool{}
	var out []*node
	var walk func(n *node)
	walk = func(n *node) {
		if n == nil || seen[n.ID] {
			return
		}
		seen[n.ID] = true
		out = append(out, n)
		for _, e := range n.Edges {
			walk(jv.byID[e.To])
		}
	}
	walk(jv.byID[jv.Start])
	// Unreached roots first (nothing points at them), then the rest.
	indeg := map[string]int{}
	for _, n := range jv.Nodes {
		for _, e := range n.Edges {
			indeg[e.To]++
		}
	}
	for _, n := range jv.Nodes {
		if indeg[n.ID] == 0 {
			walk(n)
		}
	}
	for _, n := range jv.Nodes {
		walk(n)
	}
	return out
}

// topoOrder orders the nodes so that every forward edge goes from an
// earlier to a later node (Kahn's algorithm, ties in DFS order).
func topoOrder(jv *journeyView, order []*node) []*node {
	indeg := map[string]int{}
	for _, n := range jv.Nodes {
		for _, e := range n.Edges {
			if !e.Back && jv.byID[e.To] != nil {
				indeg[e.To]++
			}
		}
	}
	var out, queue []*node
	for _, n := range order {
		if indeg[n.ID] == 0 {
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		out = append(out, n)
		for _, e := range n.Edges {
			if e.Back || jv.byID[e.To] == nil {
				continue
			}
			indeg[e.To]--
			if indeg[e.To] == 0 {
				queue = append(queue, jv.byID[e.To])
			}
		}
	}
	return out
}

func f1(f float64) string { return fmt.Sprintf("%.1f", f) }

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
