package detect

import "github.com/filoproject/filo"

// SenderTotals returns each sender's weighted total as a pass scores it
// (its own payments' total from Prepare, then rings, proximity and
// signals) and as its lead explains it (everything worked out again).
func SenderTotals(p *Prepared, sigs []filo.TraceSignal) (scored, explained map[string]float64) {
	w, ss := p.w, p.senders
	ctxt := p.scoring(sigs)
	scored, explained = map[string]float64{}, map[string]float64{}
	sc := new(scratch)
	for i, s := range ss.ids {
		b := buyer{e: s, pol: w.pol, total: ss.base[i]}
		w.addContext(&b, nil, ctxt)
		scored[w.ids[s]] = b.total
		explained[w.ids[s]] = w.explainSender(ss, i, ctxt, sc).total
	}
	return scored, explained
}
