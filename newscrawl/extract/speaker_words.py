"""Word lists of speaker finding: titles before a name, calendar words, words of a clause,
words of organisations and places (a pronoun does not stand for "New York Post")."""

from __future__ import annotations

TITLES = {
    "president", "prime", "minister", "governor", "deputy", "spokesperson", "spokesman", "spokeswoman",
    "secretary", "general", "chief", "commander", "director", "mayor", "senator", "representative",
    "ambassador", "envoy", "king", "queen", "prince", "sheikh", "ayatollah", "mr", "mrs", "ms", "dr",
    "mp", "un", "us", "eu", "high", "commissioner", "human", "rights", "foreign", "defense", "defence",
    "interior", "police", "army", "lieutenant", "colonel", "major", "brigadier", "captain", "former",
    "acting", "leader", "speaker", "chairman", "head", "officer", "official", "professor", "judge",
    "the", "a", "an", "meanwhile", "in", "on", "at", "but", "and", "however", "separately", "reporter",
    "correspondent", "anchor", "host", "analyst", "strategist", "pollster", "adviser", "advisor",
    "aide", "candidate", "nominee", "congressman", "congresswoman", "sen", "rep", "gov", "attorney",
    "sheriff", "pastor", "reverend", "bishop", "coach", "executive", "founder", "editor", "columnist",
}

CALENDAR = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
    "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
}

CLAUSE_WORDS = {
    "that", "this", "it", "there", "what", "which", "these", "those",
    "in", "on", "at", "with", "for", "to", "from", "by", "after", "before", "during", "and", "or",
    "but", "when", "while", "as", "if", "because", "since", "asked", "told", "said", "like",
}

ORGANISATION_WORDS = {
    "Post", "Times", "News", "Journal", "Party", "House", "Committee", "Department", "Council",
    "Senate", "Congress", "Court", "Union", "University", "Street", "Network", "Campaign", "Foundation",
    "Institute", "Center", "Centre", "Association", "Agency", "Office", "Church", "Club", "Company",
    "Group", "Fund", "Bank", "Administration", "Hall", "Square", "States", "Kingdom", "Nations",
    "Press", "Tribune", "Herald", "Magazine", "Radio", "Television", "Channel", "Service", "Bureau",
    "Board", "Commission", "Caucus", "Convention", "Airport", "County", "City", "State", "Republic",
    "Department’s", "Security", "Force", "Army",
}

PLACE_STARTS = {
    "New", "North", "South", "East", "West", "Saudi", "Los", "San", "Las", "El", "United", "White",
}
