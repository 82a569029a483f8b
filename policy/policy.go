// Package policy is filo's indicator policy as data: every indicator has a
// code, a plain description, its research sources, parameters and a
// weight. A default is built in; an analyst's file overrides it.
package policy

import (
	_ "embed"
	"fmt"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed default.yaml
var defaultYAML []byte

// Indicator is one rule's description and weight.
type Indicator struct {
	Code        string   `yaml:"code"`
	Description string   `yaml:"description"`
	Sources     []string `yaml:"sources"`
	Weight      float64  `yaml:"weight"`
}

// Parameters are the thresholds indicators share.
type Parameters struct {
	SmallMaxUSD        float64  `yaml:"small_max_usd"`
	Corridors          []string `yaml:"corridors"`
	NearZones          []string `yaml:"near_zones"`
	NightStartHour     int      `yaml:"night_start_hour"`
	NightEndHour       int      `yaml:"night_end_hour"`
	FrequentGapDays    float64  `yaml:"frequent_gap_days"`
	RingMinSenders     int      `yaml:"ring_min_senders"`
	RelatedCategories  []string `yaml:"related_categories"`
	InnocentReferences []string `yaml:"innocent_references"`
}

// Policy is a whole policy.
type Policy struct {
	Name           string      `yaml:"name"`
	Version        string      `yaml:"version"`
	Bias           float64     `yaml:"bias"`
	RingBias       float64     `yaml:"ring_bias"`
	BuyerThreshold float64     `yaml:"buyer_threshold"`
	RingThreshold  float64     `yaml:"ring_threshold"`
	Parameters     Parameters  `yaml:"parameters"`
	Indicators     []Indicator `yaml:"indicators"`

	byCode map[string]*Indicator
}

// Known lists every code an evaluator exists for; a policy may weigh each
// or leave it out (weight 0), never name another.
var Known = []string{"SMALL_CORRIDOR", "FREQUENT_SMALL", "ESCALATION", "FAN_OUT_UNRELATED", "PAYS_SUSPECTED_RING",
	"WATCHLIST_LINK", "NETWORK_PROXIMITY", "REMITTANCE_CHANNEL", "INNOCENT_REFERENCE", "NIGHT_PAYMENTS",
	"RELATED_PURCHASES", "REGULAR_RHYTHM", "FAMILY_RECIPIENTS", "EXCLUSIVE_RECIPIENTS", "LARGE_AMOUNTS", "RING_FAN_IN", "RING_IDENTITIES",
	"RING_SMALL_AMOUNTS", "RING_WATCHLIST", "RING_BUYER_SENDERS", "ATTRIBUTED_ACCOUNT", "CHAT_CONTROL_NUMBER",
	"CALL_NEAR_PAYMENT"}

// Default returns the built-in policy.
func Default() (*Policy, error) { return Parse(defaultYAML, "built-in policy") }

// Load reads a policy file.
func Load(path string) (*Policy, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	return Parse(b, path)
}

// Parse reads and validates a policy.
func Parse(b []byte, name string) (*Policy, error) {
	var p Policy
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("policy %s: %w", name, err)
	}
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("policy %s: %w", name, err)
	}
	return &p, nil
}

// forbidden words: the default policy looks at behaviour, never at who
// someone is.
var forbidden = []string{"sex", "gender", "age", "birth", "nationality", "ethnic", "race", "religion"}

func (p *Policy) validate() error {
	known := map[string]bool{}
	for _, k := range Known {
		known[k] = true
	}
	p.byCode = map[string]*Indicator{}
	for i := range p.Indicators {
		ind := &p.Indicators[i]
		switch {
		case !known[ind.Code]:
			return fmt.Errorf("indicator %q: unknown code (known: %s)", ind.Code, strings.Join(Known, ", "))
		case p.byCode[ind.Code] != nil:
			return fmt.Errorf("indicator %q appears twice", ind.Code)
		case ind.Description == "":
			return fmt.Errorf("indicator %q: description missing", ind.Code)
		case len(ind.Sources) == 0:
			return fmt.Errorf("indicator %q: sources missing: say where the rule comes from", ind.Code)
		}
		p.byCode[ind.Code] = ind
	}
	pr := p.Parameters
	switch {
	case pr.SmallMaxUSD <= 0:
		return fmt.Errorf("parameters.small_max_usd must be greater than zero")
	case len(pr.Corridors) == 0:
		return fmt.Errorf("parameters.corridors must list at least one country")
	case pr.NightStartHour < 0 || pr.NightStartHour > 23 || pr.NightEndHour < 0 || pr.NightEndHour > 23:
		return fmt.Errorf("parameters: night hours must be 0 to 23")
	case pr.FrequentGapDays <= 0:
		return fmt.Errorf("parameters.frequent_gap_days must be greater than zero")
	case pr.RingMinSenders < 2:
		return fmt.Errorf("parameters.ring_min_senders must be at least 2")
	case p.RingBias == 0:
		return fmt.Errorf("ring_bias must be set (the offset of a ring's log-odds)")
	case p.BuyerThreshold <= 0 || p.BuyerThreshold >= 1 || p.RingThreshold <= 0 || p.RingThreshold >= 1:
		return fmt.Errorf("buyer_threshold and ring_threshold must be between 0 and 1")
	}
	return nil
}

// Indicator returns the indicator of a code, nil when the policy leaves it
// out.
func (p *Policy) Indicator(code string) *Indicator { return p.byCode[code] }

// Weight returns a code's weight, 0 when the policy leaves it out.
func (p *Policy) Weight(code string) float64 {
	if ind := p.byCode[code]; ind != nil {
		return ind.Weight
	}
	return 0
}

// Without returns a copy of the policy with the given codes left out (for
// ablation studies).
func (p *Policy) Without(codes ...string) *Policy {
	drop := map[string]bool{}
	for _, c := range codes {
		drop[c] = true
	}
	q := *p
	q.Indicators = nil
	q.byCode = map[string]*Indicator{}
	for _, ind := range p.Indicators {
		if !drop[ind.Code] {
			q.Indicators = append(q.Indicators, ind)
		}
	}
	for i := range q.Indicators {
		q.byCode[q.Indicators[i].Code] = &q.Indicators[i]
	}
	return &q
}

// ForbiddenTerms returns the parameter and indicator words of the policy
// that name a protected characteristic; the default policy has none.
func (p *Policy) ForbiddenTerms() []string {
	var hits []string
	b, _ := yaml.Marshal(p)
	text := strings.ToLower(string(b))
	for _, w := range forbidden {
		for _, field := range strings.FieldsFunc(text, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r == '_') }) {
			for _, part := range strings.Split(field, "_") {
				if part == w {
					hits = append(hits, field)
				}
			}
		}
	}
	return hits
}
