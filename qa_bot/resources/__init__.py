"""Language data of Chinese in general (not of any knowledge base): stopwords, question words."""
