package payouts

import "github.com/paysdk/rebilly/gen"

// PayToInstrument returns the instruction to pay to the customer's stored payment
// instrument with the given id.
func PayToInstrument(paymentInstrumentID string) PaymentInstruction {
	var pi PaymentInstruction
	// From... only fails when the value cannot be marshalled, which a struct of strings can.
	_ = pi.FromPaymentInstructionInstrument(gen.PaymentInstructionInstrument{PaymentInstrumentID: paymentInstrumentID})
	return pi
}

// PayToToken returns the instruction to pay to the payment token (from Rebilly's
// FramePay or its API) with the given id.
func PayToToken(token string) PaymentInstruction {
	var pi PaymentInstruction
	_ = pi.FromPaymentInstructionToken(gen.PaymentInstructionToken{Token: token})
	return pi
}

// PayByMethods returns the instruction to pay by one of the given methods, leaving the
// instrument to Rebilly's rules.
func PayByMethods(methods ...PaymentMethod) PaymentInstruction {
	var pi PaymentInstruction
	_ = pi.FromPaymentInstructionMethods(gen.PaymentInstructionMethods{Methods: methods})
	return pi
}

// PayToCard returns the instruction to pay to new card details.
func PayToCard(card Card) PaymentInstruction {
	var pi PaymentInstruction
	_ = pi.FromPaymentCardCreatePlain(card)
	return pi
}

// PayToBankAccount returns the instruction to pay to new bank account details.
func PayToBankAccount(account BankAccount) PaymentInstruction {
	var pi PaymentInstruction
	_ = pi.FromBankAccountCreatePlain(account)
	return pi
}
