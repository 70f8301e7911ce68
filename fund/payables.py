"""What the awards app hands the fund when an award list is published (../shared/STYLE.md: awards →
fund, never the other way). The fund carries the honouree's name and the award reference as data.

    from fund.payables import PrizePayable
    from fund.services import prize_batch_draft

    prize_batch_draft(
        award_list_label="Quyết định 45/QĐ-MTTQ-BTT ngày 20/8/2026",
        payables=[PrizePayable(name=…, reference=dossier.reference, amount=10_000_000,
                               bank_account="0123456789", bank_name="Vietcombank Huế"), …],
        drafted_by=fund_officer,
    )

The batch is one draft transaction (debit 611 «Chi giải thưởng», credit 112 «Tiền gửi ngân hàng»,
one PrizePayee row per payable); it is posted only when a fund checker approves it, like any other.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PrizePayable:
    name: str  # the honouree (a person or the collective's name)
    amount: int  # integer đồng, > 0
    bank_account: str
    bank_name: str
    reference: str = ""  # the dossier reference (DKST-2026-00012) or the award decision line
