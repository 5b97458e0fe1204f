"""Small pure normalizers: text, dates and periods, phone numbers, e-mail addresses."""
