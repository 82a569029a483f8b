package casefolder

import (
	"sort"
	"strconv"
	"strings"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/fx"
	"github.com/filoproject/filo/normalize"
)

// Each converter checks every cell of the row (so that report mode lists
// all of a row's problems), then hands the record over only if the row is
// sound. A check returns an error only when reading must stop.

func (fr *fileReader) party(sink Sink) error {
	p := &filo.Party{Prov: fr.prov(), Attrs: fr.attrs()}
	var err error
	if p.ID, err = fr.required("party_id"); err != nil {
		return err
	}
	if p.Kind, err = fr.enum("kind", partyKinds, filo.KindPerson); err != nil {
		return err
	}
	if p.FullName, err = fr.required("full_name"); err != nil {
		return err
	}
	if p.BirthDate, err = fr.date("birth_date", false); err != nil {
		return err
	}
	if p.Country, err = fr.country("country"); err != nil {
		return err
	}
	if fr.rowBad {
		return nil
	}
	p.City, p.Address, p.Phone = fr.get("city"), fr.get("address"), fr.get("phone")
	p.Email, p.IDNumber, p.Institution = fr.get("email"), fr.get("id_number"), fr.get("institution")
	p.MerchantCategory = fr.get("merchant_category")
	// Read here, once: a scan reads every number in every stage, and
	// libphonenumber's parse was a sixth of a large scan's work.
	p.PhoneE164, p.PhoneNSN = normalize.PhoneForms(p.Phone, p.Country)
	if fr.parties != nil {
		fr.parties[p.ID] = true
	}
	return fr.sinkErr(sink.Party(p), "party_id", p.ID)
}

func (fr *fileReader) account(sink Sink) error {
	a := &filo.Account{Prov: fr.prov(), Attrs: fr.attrs()}
	var err error
	if a.ID, err = fr.required("account_id"); err != nil {
		return err
	}
	if a.PartyID, err = fr.required("party_id"); err != nil {
		return err
	}
	if a.Currency, err = fr.currencyCode("currency", false); err != nil {
		return err
	}
	if fr.rowBad {
		return nil
	}
	a.Institution, a.Kind, a.IBAN, a.OpenedAt = fr.get("institution"), fr.get("kind"), fr.get("iban"), fr.get("opened_at")
	fr.checkParty(a.PartyID)
	return fr.sinkErr(sink.Account(a), "account_id", a.ID)
}

func (fr *fileReader) transaction(sink Sink) error {
	t := &filo.Transaction{Prov: fr.prov(), Attrs: fr.attrs()}
	var err error
	if t.ID, err = fr.required("tx_id"); err != nil {
		return err
	}
	if t.Time, err = fr.timestamp("timestamp", true); err != nil {
		return err
	}
	if t.Amount, t.AmountText, err = fr.decimal("amount"); err != nil {
		return err
	}
	if t.Currency, err = fr.currencyCode("currency", true); err != nil {
		return err
	}
	if t.SenderPartyID, err = fr.required("sender_party_id"); err != nil {
		return err
	}
	if t.ReceiverPartyID, err = fr.required("receiver_party_id"); err != nil {
		return err
	}
	if t.SenderCountry, err = fr.country("sender_country"); err != nil {
		return err
	}
	if t.ReceiverCountry, err = fr.country("receiver_country"); err != nil {
		return err
	}
	if t.Channel, err = fr.enum("channel", channels, ""); err != nil {
		return err
	}
	if !fr.rowBad && t.Currency != "" {
		usd, ok := fr.fx.USD(t.Amount, t.Currency, t.Time)
		if !ok {
			if err := fr.fail(fr.col["currency"], t.Currency, "a currency with a USD rate: add its rates to fx_rates.csv"); err != nil {
				return err
			}
		}
		t.AmountUSD = usd
	}
	if fr.rowBad {
		return nil
	}
	t.SenderAccountID, t.ReceiverAccountID = fr.get("sender_account_id"), fr.get("receiver_account_id")
	t.Institution, t.Reference, t.ControlNumber = fr.get("institution"), fr.raw("reference"), fr.get("control_number")
	fr.checkParty(t.SenderPartyID)
	fr.checkParty(t.ReceiverPartyID)
	return fr.sinkErr(sink.Transaction(t), "tx_id", t.ID)
}

func (fr *fileReader) platformAccount(sink Sink) error {
	p := &filo.PlatformAccount{Prov: fr.prov(), Attrs: fr.attrs()}
	var err error
	if p.Platform, err = fr.required("platform"); err != nil {
		return err
	}
	if p.AccountID, err = fr.required("account_id"); err != nil {
		return err
	}
	if fr.rowBad {
		return nil
	}
	p.Handle, p.DisplayName, p.Email = fr.get("handle"), fr.get("display_name"), fr.get("email")
	p.Phone, p.CreatedAt = fr.get("phone"), fr.get("created_at")
	p.PhoneE164 = normalize.Phone(p.Phone, "")
	return fr.sinkErr(sink.PlatformAccount(p), "account_id", p.Ref())
}

func (fr *fileReader) session(sink Sink) error {
	s := &filo.Session{Prov: fr.prov(), Attrs: fr.attrs()}
	var err error
	if s.Platform, err = fr.required("platform"); err != nil {
		return err
	}
	if s.AccountID, err = fr.required("account_id"); err != nil {
		return err
	}
	if s.Kind, err = fr.enum("kind", sessionKinds, ""); err != nil {
		return err
	}
	if s.Start, err = fr.timestamp("start", true); err != nil {
		return err
	}
	if s.End, err = fr.timestamp("end", false); err != nil {
		return err
	}
	if !fr.rowBad && !s.End.IsZero() && s.End.Before(s.Start) {
		if err := fr.fail(fr.col["end"], fr.get("end"), "an end no earlier than the start"); err != nil {
			return err
		}
	}
	if fr.rowBad {
		return nil
	}
	s.SessionID, s.PeerAccountID, s.IP = fr.get("session_id"), fr.get("peer_account_id"), fr.get("ip")
	return fr.sinkErr(sink.Session(s), "session_id", s.SessionID)
}

func (fr *fileReader) subscriber(sink Sink) error {
	s := &filo.Subscriber{Prov: fr.prov(), Attrs: fr.attrs()}
	var err error
	if s.IP, err = fr.required("ip"); err != nil {
		return err
	}
	if s.Start, err = fr.timestamp("start", false); err != nil {
		return err
	}
	if s.End, err = fr.timestamp("end", false); err != nil {
		return err
	}
	if fr.rowBad {
		return nil
	}
	s.ISP, s.SubscriberName, s.Address = fr.get("isp"), fr.get("subscriber_name"), fr.get("address")
	s.Phone, s.Email = fr.get("phone"), fr.get("email")
	s.PhoneE164 = normalize.Phone(s.Phone, "")
	return fr.sinkErr(sink.Subscriber(s), "ip", s.IP)
}

func (fr *fileReader) message(sink Sink) error {
	m := &filo.Message{Prov: fr.prov(), Attrs: fr.attrs()}
	var err error
	if m.Platform, err = fr.required("platform"); err != nil {
		return err
	}
	if m.Time, err = fr.timestamp("timestamp", true); err != nil {
		return err
	}
	if m.SenderAccountID, err = fr.required("sender_account_id"); err != nil {
		return err
	}
	m.Text = fr.raw("text")
	if strings.TrimSpace(m.Text) == "" {
		if _, err := fr.required("text"); err != nil {
			return err
		}
	}
	if fr.rowBad {
		return nil
	}
	m.ConversationID, m.MessageID = fr.get("conversation_id"), fr.get("message_id")
	return fr.sinkErr(sink.Message(m), "message_id", m.MessageID)
}

func (fr *fileReader) watchEntry(sink Sink) error {
	w := &filo.WatchEntry{Prov: fr.prov(), Attrs: fr.attrs()}
	var err error
	if w.Kind, err = fr.enum("kind", watchKinds, ""); err != nil {
		return err
	}
	if w.Kind == "" && !fr.rowBad {
		if _, err := fr.required("kind"); err != nil {
			return err
		}
	}
	if w.Value, err = fr.required("value"); err != nil {
		return err
	}
	if w.Country, err = fr.country("country"); err != nil {
		return err
	}
	if fr.rowBad {
		return nil
	}
	w.Source, w.Note = fr.get("source"), fr.get("note")
	return fr.sinkErr(sink.WatchEntry(w), "value", w.Value)
}

func (fr *fileReader) fxRate(sink Sink) error {
	r := &filo.FXRate{Prov: fr.prov()}
	var err error
	if r.Date, err = fr.date("date", true); err != nil {
		return err
	}
	if r.Currency, err = fr.currencyCode("currency", true); err != nil {
		return err
	}
	v, err := fr.required("usd_rate")
	if err != nil {
		return err
	}
	if v != "" {
		f, perr := strconv.ParseFloat(v, 64)
		if perr != nil || f <= 0 || strings.ContainsAny(v, "eEnNiI,") {
			if err := fr.fail(fr.col["usd_rate"], v, "a decimal number greater than zero: USD for one unit"); err != nil {
				return err
			}
		}
		r.USDRate = f
	}
	if fr.rowBad {
		return nil
	}
	return fr.sinkErr(sink.FXRate(r), "date", r.Date)
}

// checkParty counts references to parties this folder does not hold: they
// may come from a folder ingested earlier, so they are no error.
func (fr *fileReader) checkParty(id string) {
	if fr.parties != nil && !fr.parties[id] {
		fr.gaps++
	}
}

// rateTable builds an fx table from rates.
func rateTable(rates []filo.FXRate) *fx.Table {
	m := map[string][]fx.Rate{}
	for _, r := range rates {
		d, err := parseDay(r.Date)
		if err != nil {
			continue // validated on the way in; a stored bad date is skipped
		}
		m[r.Currency] = append(m[r.Currency], fx.Rate{Day: d, USDRate: r.USDRate})
	}
	return fx.NewTable(m)
}

func sortedKeys(m map[string]bool) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
