package policy

import (
	"strings"
	"testing"
)

func TestTheDefaultPolicyIsValidAndCoversTheResearch(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range Known {
		if p.Indicator(code) == nil {
			t.Errorf("the default policy leaves out %s", code)
		}
	}
	for _, ind := range p.Indicators {
		if ind.Weight == 0 || ind.Description == "" || len(ind.Sources) == 0 {
			t.Errorf("%s lacks a weight, description or source", ind.Code)
		}
	}
}

func TestTheDefaultPolicyLooksAtBehaviourOnly(t *testing.T) {
	p, _ := Default()
	if hits := p.ForbiddenTerms(); len(hits) > 0 {
		t.Errorf("the default policy names protected characteristics: %v", hits)
	}
	bad := *p
	bad.Parameters.Corridors = append(bad.Parameters.Corridors, "nationality_IT")
	if len(bad.ForbiddenTerms()) == 0 {
		t.Error("ForbiddenTerms misses a parameter naming nationality")
	}
}

func TestBadPoliciesAreRefusedWithAReason(t *testing.T) {
	base, _ := Default()
	_ = base
	tests := []struct{ name, yaml, want string }{
		{"an unknown code", "name: x\nversion: '1'\nbias: 1\nring_bias: 1\nbuyer_threshold: 0.5\nring_threshold: 0.5\nparameters: {small_max_usd: 1, corridors: [PH], frequent_gap_days: 1, ring_min_senders: 3}\nindicators: [{code: NOPE, description: d, sources: [s], weight: 1}]\n", "unknown code"},
		{"a missing source", "name: x\nversion: '1'\nbias: 1\nring_bias: 1\nbuyer_threshold: 0.5\nring_threshold: 0.5\nparameters: {small_max_usd: 1, corridors: [PH], frequent_gap_days: 1, ring_min_senders: 3}\nindicators: [{code: SMALL_CORRIDOR, description: d, weight: 1}]\n", "sources missing"},
		{"a misspelt field", "name: x\nvesion: '1'\n", "vesion"},
		{"no corridors", "name: x\nversion: '1'\nbias: 1\nring_bias: 1\nbuyer_threshold: 0.5\nring_threshold: 0.5\nparameters: {small_max_usd: 1, frequent_gap_days: 1, ring_min_senders: 3}\n", "corridors"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), "test.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestWithoutLeavesCodesOut(t *testing.T) {
	p, _ := Default()
	q := p.Without("PAYS_SUSPECTED_RING")
	if q.Weight("PAYS_SUSPECTED_RING") != 0 || p.Weight("PAYS_SUSPECTED_RING") == 0 {
		t.Error("Without changed the original or kept the code")
	}
}
