import pytest

from helpcenter.insights.redact import iban_ok, luhn_ok, redact


@pytest.mark.parametrize("text, placeholder, secret", [
    ("my email is ali.reza+vip@gmail.com pls", "[EMAIL]", "ali.reza"),
    ("card 4111 1111 1111 1111 declined", "[CARD]", "4111"),
    ("card 4111-1111-1111-1111", "[CARD]", "1111"),
    ("카드번호 5555555555554444 결제 안됨", "[CARD]", "5555"),
    ("شماره کارت ۴۱۱۱۱۱۱۱۱۱۱۱۱۱۱۱ رد شد", "[CARD]", "4111"),
    ("call me +98 912 345 6789", "[PHONE]", "912"),
    ("010-1234-5678 로 연락주세요", "[PHONE]", "5678"),
    ("IBAN DE89 3704 0044 0532 0130 00 transfer", "[IBAN]", "3704"),
    ("sent to 0x52908400098527886E0F7030069857D2E4169EE7", "[WALLET]", "0x5290"),
    ("usdt to TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE", "[WALLET]", "TQn9"),
    ("btc bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "[WALLET]", "bc1q"),
    ("transaction 839201938 missing", "[NUMBER]", "839201938"),
    ("account 1234-5678-9012-3456 frozen", "[NUMBER]", "9012"),
])
def test_personal_data_is_replaced(text, placeholder, secret):
    out = redact(text)
    assert placeholder in out
    assert secret not in out


def test_ordinary_numbers_stay():
    text = "withdraw $200 within 24 hours, 1-3 days, 35x wagering, 2026-11-20"
    assert redact(text) == text


def test_checksums():
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert iban_ok("DE89 3704 0044 0532 0130 00") and not iban_ok("DE00 3704 0044 0532 0130 00")
