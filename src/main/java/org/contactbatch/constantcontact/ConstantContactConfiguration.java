package org.contactbatch.constantcontact;

import io.netty.channel.ChannelOption;
import org.contactbatch.constantcontact.client.RequestLog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/**
 * The HTTP client every Constant Contact call goes through: timeouts from the settings, no body size cap below 16 MB,
 * and the {@link RequestLog} of a run that asked for a debug log.
 */
@Configuration(proxyBeanMethods = false)
public class ConstantContactConfiguration {

    @Bean
    public WebClient constantContactWebClient(WebClient.Builder builder, ConstantContactProperties properties,
            RequestLog requestLog) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(properties.connectTimeout().toMillis()))
                .responseTimeout(properties.responseTimeout());
        return builder.clone()
                .clientConnector(new ReactorClientHttpConnector(http))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
                // a run's debug log, when its profile asks for one: every request, in one place
                .filter(requestLog)
                .build();
    }
}
