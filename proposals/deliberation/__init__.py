"""议事: how a building decides, in five domains, each with its models, services,
permissions, forms, views, urls and admin:

- proposals: what is discussed and decided (议题), possibly from issue reports;
- polls: votes on a proposal (投票表决), open or secret, one ballot per household or adult;
- meetings: council meetings (议事会) with sign-in, minutes and follow-up tasks;
- consultations: questionnaires (征询), answered online or door to door;
- conventions: the building convention (楼组公约), adopted by a proposal or a poll.

Dependencies point one way: polls -> proposals -> conventions (adopting a convention is
the outcome of a proposal), meetings -> proposals; consultations stand alone. Shared:
origin.py (how a ballot, answer or signature came in), tally.py (counting rules),
notices.py, forms.py, views.py (the hub), audit.py.
"""
