<%@ page contentType="text/plain; charset=UTF-8" %>
hello from context <%= request.getContextPath() %>: 6 * 7 = <%= 6 * 7 %>
