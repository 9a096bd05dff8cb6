"""The fund's pages, one module per area (funds/urls.py names them): fund (the fund page,
opening the fund, its settings, the usage rules), campaigns (campaigns and pledges to
their needs), changes (editing and cancelling a campaign), ledger (logging money, an
entry and its reversal, receipts), goods (goods in and out of stock) and statements (the
statement page, its print-out and exports); common holds what they share."""
