regions <- data.frame(code = c(1, 2, 3, 4), name = c("North East", "North West", "Yorkshire", "London"))
df <- merge(df, regions, by.x = "region", by.y = "code")
