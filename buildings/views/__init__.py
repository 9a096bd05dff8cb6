"""The root app's pages, one module per area (buildings/urls.py and config/urls.py name
them): site (health check, home, /media/), account (registration and log-in), community
(community and building pages, the leader's to-do), joining, members (a leader's pages
for residents and rooms), me (one's own pages), inbox, announcements, changes (editing
and withdrawing an announcement), team (the team page, talents, the party badge) and
search (the building's search page)."""
