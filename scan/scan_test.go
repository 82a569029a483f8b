package scan

import (
	"reflect"
	"testing"

	"github.com/filoproject/filo"
)

func TestAConfidentAttributionJoinsTheAccountToItsPerson(t *testing.T) {
	ents := []filo.Entity{
		{ID: "E1", Records: []filo.RecordRef{{Type: "party", ID: "P1"}}},
		{ID: "E2", Records: []filo.RecordRef{{Type: "platform_account", ID: "vm:u1"}}},
		{ID: "E3", Records: []filo.RecordRef{{Type: "platform_account", ID: "vm:u2"}}},
	}
	atts := []filo.Attribution{
		{PlatformAccount: "vm:u1", EntityID: "E1", Confidence: 0.95},
		{PlatformAccount: "vm:u2", EntityID: "E1", Confidence: 0.6}, // too weak to merge
	}
	got := attach(ents, atts)
	want := []filo.Entity{
		{ID: "E1", Records: []filo.RecordRef{{Type: "party", ID: "P1"}, {Type: "platform_account", ID: "vm:u1"}}},
		{ID: "E3", Records: []filo.RecordRef{{Type: "platform_account", ID: "vm:u2"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("attach =\n%+v\nwant\n%+v", got, want)
	}
	if len(ents[0].Records) != 1 {
		t.Error("attach changed its input")
	}
}

func TestLeadsListTheAccountsAttributedToTheirEntities(t *testing.T) {
	leads := []filo.Lead{{ID: "B-E1", EntityIDs: []string{"E1"}}, {ID: "B-E9", EntityIDs: []string{"E9"}}}
	attributeLeads(leads, []filo.Attribution{
		{PlatformAccount: "vm:u2", EntityID: "E1", Confidence: 0.6},
		{PlatformAccount: "vm:u1", EntityID: "E1", Confidence: 0.95},
		{PlatformAccount: "vm:u3", EntityID: "E5", Confidence: 0.95},
	})
	if got := leads[0].PlatformAccounts; !reflect.DeepEqual(got, []string{"vm:u1", "vm:u2"}) {
		t.Errorf("lead B-E1 accounts %v", got)
	}
	if len(leads[1].PlatformAccounts) != 0 || len(leads[1].Attributions) != 0 {
		t.Errorf("lead B-E9 got another entity's accounts: %+v", leads[1])
	}
}
